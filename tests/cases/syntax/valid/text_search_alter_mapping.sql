-- ALTER TEXT SEARCH CONFIGURATION ... ALTER MAPPING.
-- expect: ok
ALTER TEXT SEARCH CONFIGURATION my_english ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem;
