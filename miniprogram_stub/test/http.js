// Plain HTTP from Node's own http module: jest's jsdom environment has no fetch.
const http = require('node:http')

// Resolves with { status, headers, body (Buffer), text }; rejects when no answer came in time.
function httpRequest({ method = 'GET', url, headers = {}, body = undefined, timeout = 60000 }) {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method, headers, timeout }, (response) => {
      const chunks = []
      response.on('data', (chunk) => chunks.push(chunk))
      response.on('end', () => {
        const data = Buffer.concat(chunks)
        resolve({ status: response.statusCode, headers: response.headers, body: data, text: data.toString('utf8') })
      })
      response.on('error', reject)
    })
    request.on('timeout', () => request.destroy(new Error('timeout')))
    request.on('error', reject)
    if (body !== undefined) request.write(body)
    request.end()
  })
}

module.exports = { httpRequest }
