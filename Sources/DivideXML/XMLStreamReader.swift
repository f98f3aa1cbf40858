// libxml2 streaming reader for the XML sources (arXiv OAI-PMH, ACL Anthology).
