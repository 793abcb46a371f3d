"""Published official statistics (ONS ASHE tables, Working Futures / Skills Imperative
workbooks): read exactly as their publishers release them, validated, imported beside the
warehouse and served as published."""
