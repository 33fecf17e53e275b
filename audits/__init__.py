"""Client companies, their sites, engagements and clause ratings: the tables and the services that change them."""
