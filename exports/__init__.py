"""Exports: reports built from a project snapshot by pure code, and their renderers (Word, charts)."""
