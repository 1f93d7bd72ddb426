"""The board report: its content, the HTML page, the PDF, and the explanations of measures."""
