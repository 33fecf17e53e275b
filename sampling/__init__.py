"""The sampling plan of an engagement: sites drawn and chosen, visits, per-site findings."""
