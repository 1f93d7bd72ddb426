"""Everything that imports SQLAlchemy: the schema of every table, the store of maps,
snapshots, notes, ratings, access, erasure, backups, settings and migrations."""
