"""Reading a site folder: files into text, front matter with positions, and meeting bodies split into items."""
