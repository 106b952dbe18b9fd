"""One module per ``workbook`` verb (or per small family of verbs)."""
