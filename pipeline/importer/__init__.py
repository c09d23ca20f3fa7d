"""`briefing import`: pasted text, saved web pages and Word files → clean article files."""
