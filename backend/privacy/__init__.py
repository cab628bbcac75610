"""Personal data (PIPL): a trainee's own data export, and purging a closed class's roster."""
