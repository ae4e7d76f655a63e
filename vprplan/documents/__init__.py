"""Documents the project renders, shared by every app: one PDF renderer (`pdf.render_pdf`), the
print layout of .xlsx sheets (`sheets`), column widths of printed tables (`widths`), the wording
of the authority's blanks (`blanks`), and the rendered files a job makes and a status page polls
(`models.RenderedFile`, `exports`)."""
