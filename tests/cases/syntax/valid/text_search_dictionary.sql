-- CREATE TEXT SEARCH DICTIONARY.
-- expect: ok
CREATE TEXT SEARCH DICTIONARY my_stem (TEMPLATE = snowball, Language = english, StopWords = english);
