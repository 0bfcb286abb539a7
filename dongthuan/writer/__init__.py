"""The official-document writer: party documents in the layout of Hướng dẫn 36-HD/VPTW as Word and PDF
(``official``), with the fonts a PDF embeds (``fonts``). A leaf: it imports no app, and every app that prints uses
it — documents, meetings (minutes, ballots), consultations (the response register), programs (reviews), portal."""
