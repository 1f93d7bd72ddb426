"""Coalition analysis, one module per question: graph in, plain values out."""
