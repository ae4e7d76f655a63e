"""Orders, documents and exports arrive with their issues."""
