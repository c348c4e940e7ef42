map(select(.price > 50) | {id, tag: .tags[0], total: (.price * .qty)})
| group_by(.tag)
| map({tag: .[0].tag, count: length, total: (map(.total) | add)})
| sort_by(.tag)
