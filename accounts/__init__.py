"""Who acts: the acting user passed to every service, and (later) accounts, roles and the audit log."""
