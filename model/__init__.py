"""The logical cube models as JSON files (Cubes model vocabulary); no code lives here."""
