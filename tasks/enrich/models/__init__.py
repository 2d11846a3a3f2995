"""Model files shipped with newsflow (see README.md here for their data and licences)."""
