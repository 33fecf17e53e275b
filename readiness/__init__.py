"""The consultant's side: preparation tasks, document skeletons, readiness and the portfolio."""
