"""Drawing a map: layouts, the interactive page and the still picture."""
