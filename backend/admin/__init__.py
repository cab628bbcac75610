"""The province office's work pages (approvals, accounts, audit trail, purge)."""
