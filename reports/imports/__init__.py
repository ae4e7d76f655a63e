"""Importing a plan from the Word, Excel or CSV file a department already has.

readers.py turns the file into grids of cells (grid.py; docx_reader.py and xlsx_reader.py read
those two formats), table.py finds the plan table and its rows,
titles.py reads the title block above it, preview.py shows what would be written, and
services.py writes it in one transaction.
"""
