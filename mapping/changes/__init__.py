"""Pure work on maps: map to map (edit, view, privacy, review, ratings) and map with map
(merge, diff, conflicts). Nothing here touches a database or a file."""
