-- Unquoted non-ASCII identifiers.
-- expect: ok
CREATE TABLE größe (maß int, 名前 text, emoji_😀 text, naïve boolean);
