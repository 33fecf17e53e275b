"""Operations on a whole installation: consistent backups while the app runs, and their restore."""
