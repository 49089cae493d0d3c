"""Models mirroring JobMojito resources; one module per family."""
