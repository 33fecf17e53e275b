"""Evidence files: a content-addressed store, records linked to clauses, checks on what is uploaded."""
