"""The person and the case's life: people and contacts, consent, the case's states from need to
closure (lifecycle), the drafts of what a user types in a case's wizards."""
