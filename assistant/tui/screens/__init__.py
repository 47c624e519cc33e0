"""The app's screens: chat, passage, facts, documents, help, setup, dialogs."""
