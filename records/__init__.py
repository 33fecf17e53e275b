"""The tables several packages share (companies, sites, engagements, teams, ratings, special items) and the time
they are stamped with: the neutral base below every service package."""
