"""Who uses sipdesk: logins, first-run set-up, passwords in the keyring, who may see a case
(access), the audit log."""
