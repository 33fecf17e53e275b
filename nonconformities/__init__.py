"""Nonconformities: the pure workflow, the tables, and the use cases from finding to closure."""
