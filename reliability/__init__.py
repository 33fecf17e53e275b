"""Reliability runs that produce figures: concurrent users, and the checks that nothing accepted was lost."""
