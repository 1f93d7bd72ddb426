"""GraphML and GEXF: the XML graph formats."""
