"""Site health (clause 5.6): broken links, missing files, images without alt text and oversized files on each
school's published site, checked in the background and kept for the region in the public schema."""
