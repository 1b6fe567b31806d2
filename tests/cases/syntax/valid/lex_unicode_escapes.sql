-- U&'..' strings and U&".." identifiers with UESCAPE.
-- expect: ok
SELECT U&'d\0061t\+000061' AS "plain", U&'!0441!043B!043E!043D' UESCAPE '!' AS U&"d\0061ta";
