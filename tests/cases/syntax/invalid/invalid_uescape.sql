-- A UESCAPE character that is not one character.
-- expect: error 4:22
-- server: 42601 invalid Unicode escape character at or near "'ab'"
SELECT U&'x' UESCAPE 'ab';
