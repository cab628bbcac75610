// Dates and times as the server sends them (ISO 8601 with +08:00), shown in China time
// whatever the phone's own time zone: the digits are read from the string, not converted.

const WEEKDAYS = ['日', '一', '二', '三', '四', '五', '六']

// "2024-05-06T09:05:00+08:00" → { y: 2024, m: 5, d: 6, hh: '09', mm: '05' }
function parts(iso) {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?/.exec(iso || '')
  if (!match) return null
  return { y: +match[1], m: +match[2], d: +match[3], hh: match[4] || '00', mm: match[5] || '00' }
}

function time(iso) {
  const p = parts(iso)
  return p ? `${p.hh}:${p.mm}` : ''
}

function day(iso) {
  const p = parts(iso)
  return p ? `${p.m}月${p.d}日` : ''
}

// "2024年5月6日": a date as certificates print it
function fullDay(iso) {
  const p = parts(iso)
  return p ? `${p.y}年${p.m}月${p.d}日` : ''
}

function weekday(iso) {
  const p = parts(iso)
  if (!p) return ''
  return `星期${WEEKDAYS[new Date(Date.UTC(p.y, p.m - 1, p.d)).getUTCDay()]}`
}

function dayTime(iso) {
  return `${day(iso)} ${time(iso)}`
}

// "5月6日—5月9日" from two dates (YYYY-MM-DD)
function dateRange(start, end) {
  return start === end ? day(start) : `${day(start)}—${day(end)}`
}

function percent(value) {
  return `${Number(value).toFixed(1)}%`
}

module.exports = { parts, time, day, fullDay, weekday, dayTime, dateRange, percent }
