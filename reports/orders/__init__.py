"""Orders (приказы): prefill, selectors, services, the PDF and its .docx twin."""
