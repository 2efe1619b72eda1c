"""E-mail notifications: resolution and reminder e-mails, settings, unsubscribe."""
