"""Briefing pipeline: schema → load → render → typeset → check."""
