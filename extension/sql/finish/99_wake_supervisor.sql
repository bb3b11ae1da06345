-- Tell a waiting supervisor, at commit, that the extension now exists here.
SELECT steep_repl._wake_supervisor();
