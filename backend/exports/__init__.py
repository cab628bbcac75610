"""exports module: the official paperwork (附件2–6) from live data, and the year's overview."""
