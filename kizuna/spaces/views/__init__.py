"""The spaces pages. Views parse input, ask the policy module or call one service, and render.

Every action works as a plain form post (redirect after success) and, where the page
uses HTMX, returns the fragment it replaces when the request carries `HX-Request`.
One module per sub-domain: spaces (directory, detail, create and edit), membership,
join_requests and invitations; common holds what they share.
"""
