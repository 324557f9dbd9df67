"""Every output of the site: its address, its kind and what it is made from."""
