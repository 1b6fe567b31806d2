-- Dollar-quoted strings with tags and an unusual tag.
-- expect: ok
SELECT $$a ' " ;$$, $tag$b $$ c$tag$, $_$d$_$, $a1$e$a1$;
