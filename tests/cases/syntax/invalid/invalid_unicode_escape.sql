-- A lone surrogate in a U&'' string: reported at the closing quote.
-- expect: error 4:16
-- server: 42601 invalid Unicode surrogate pair
SELECT U&'\D800';
