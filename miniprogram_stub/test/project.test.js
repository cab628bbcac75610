// What WeChat's tools do not check (test/official.test.js runs those): every handler the
// WXML names is a method of its page or component, the UI text is Chinese, every page follows
// the conventions of utils/page.js, code requires only the project's own files.
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { MINIPROGRAM } = require('./harness.js')

const CHINESE = /[\u4e00-\u9fff]/

function files(dir = MINIPROGRAM, found = []) {
  fs.readdirSync(dir, { withFileTypes: true }).forEach((entry) => {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) files(full, found)
    else found.push(full)
  })
  return found
}

function readJson(relative) {
  return JSON.parse(fs.readFileSync(path.join(MINIPROGRAM, relative), 'utf8'))
}

const app = readJson('app.json')
const pages = app.pages
const components = [...new Set(pages.flatMap((page) => Object.values(readJson(`${page}.json`).usingComponents || {})))].map((c) => c.replace(/^\//, ''))

// The definition a page or component hands to Component() (read once: jest keeps modules).
const definitions = {}
function definitionOf(module) {
  if (!definitions[module]) {
    const saved = global.Component
    global.Component = (definition) => {
      definitions[module] = definition
    }
    try {
      require(path.join(MINIPROGRAM, `${module}.js`))
    } finally {
      global.Component = saved
    }
  }
  return definitions[module]
}

test('WXML: every handler is a method of its page or component', () => {
  pages.concat(components).forEach((module) => {
    const source = fs.readFileSync(path.join(MINIPROGRAM, `${module}.wxml`), 'utf8')
    const definition = definitionOf(module)
    assert.ok(definition, `${module}.js calls Component()`)
    const handlers = [...source.matchAll(/\b(?:bind|catch|capture-bind|capture-catch):?(\w+)="([^"]+)"/g)]
    handlers.forEach(([, , name]) => assert.equal(typeof (definition.methods || {})[name], 'function', `${module}: handler ${name}`))
  })
})

test('every page follows the conventions: network bar, one notice, busy state, data as plain JSON', () => {
  pages.forEach((page) => {
    const json = readJson(`${page}.json`)
    assert.match(json.navigationBarTitleText || '', CHINESE, `${page}.json: a Chinese title`)
    assert.deepEqual(json.usingComponents, { notice: '/components/notice/notice', 'net-status': '/components/net-status/net-status' }, page)
    const source = fs.readFileSync(path.join(MINIPROGRAM, `${page}.wxml`), 'utf8')
    assert.match(source, /^<net-status \/>/, `${page}: the network bar first`)
    assert.match(source, /<notice id="notice" notice="\{\{notice\}\}" bind:action="noticeAction" \/>/, `${page}: the notice`)
    const { data } = definitionOf(page)
    assert.deepEqual([data.busy, data.busyText, data.notice], [false, '', null], `${page}: the busy state`)
    assert.deepEqual(JSON.parse(JSON.stringify(data)), data, page)
    ;[...source.matchAll(/<button[^>]*\bdisabled="([^"]*)"/g)].forEach(([, value]) => assert.equal(value, '{{busy}}', `${page}: a button disabled while busy`))
  })
})

test('UI text is Chinese: no English words in what the pages show', () => {
  pages.concat(components).forEach((module) => {
    const source = fs.readFileSync(path.join(MINIPROGRAM, `${module}.wxml`), 'utf8')
    const text = source.replace(/<[^>]*>/g, ' ').replace(/\{\{[^}]*\}\}/g, ' ')
    assert.doesNotMatch(text, /[A-Za-z]{2,}/, `${module}.wxml shows English text`)
    ;[...source.matchAll(/placeholder="([^"]*)"/g)].forEach(([, p]) => assert.match(p, CHINESE, `${module}: placeholder "${p}"`))
  })
})

test('mini-program code requires only files of the project, by relative path', () => {
  files()
    .filter((f) => f.endsWith('.js'))
    .forEach((file) => {
      const source = fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => !line.trim().startsWith('//'))
        .join('\n')
      for (const [, target] of source.matchAll(/require\(['"]([^'"]+)['"]\)/g)) {
        assert.match(target, /^\.\.?\//, `${file}: require('${target}') must be relative`)
        assert.ok(fs.existsSync(path.resolve(path.dirname(file), target)), `${file}: ${target} exists`)
      }
    })
})
