"""Use cases over a whole engagement, above ratings, evidence and nonconformities: the assessment document and
its score, the snapshot, backup and restore, the offline checklist, demo data; `python -m dossier`."""
