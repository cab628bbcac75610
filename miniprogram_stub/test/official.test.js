// WeChat's own tools over the whole mini-program: the official WXML and WXSS compilers
// (miniprogram-compiler: wcc, wcsc), miniprogram-ci's JSON schemas, code quality check and
// analysis, and the type check against miniprogram-api-typings (tsc --checkJs). Zero errors.
const assert = require('node:assert/strict')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { spawnSync } = require('node:child_process')
const compiler = require('miniprogram-compiler')
const wcsc = require('miniprogram-compiler/src/wcsc')
const { schemaValidate } = quietly(() => require('miniprogram-ci'))
const { ROOT, MINIPROGRAM } = require('./harness.js')

// miniprogram-ci announces itself on the console when it loads.
function quietly(load) {
  const log = console.log
  console.log = () => {}
  try {
    return load()
  } finally {
    console.log = log
  }
}

const app = JSON.parse(fs.readFileSync(path.join(MINIPROGRAM, 'app.json'), 'utf8'))

function filesUnder(dir, ext, found = []) {
  fs.readdirSync(dir, { withFileTypes: true }).forEach((entry) => {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) filesUnder(full, ext, found)
    else if (entry.name.endsWith(ext)) found.push(path.relative(MINIPROGRAM, full).replace(/\\/g, '/'))
  })
  return found
}

// Pages of app.json and the custom components they use: "pages/bind/bind", "components/notice/notice".
function modules() {
  const found = new Set(app.pages)
  app.pages.forEach((page) => {
    const json = JSON.parse(fs.readFileSync(path.join(MINIPROGRAM, `${page}.json`), 'utf8'))
    Object.values(json.usingComponents || {}).forEach((used) => found.add(used.replace(/^\//, '')))
  })
  return [...found]
}

// wcc over every WXML file of a folder: the $gwx function the simulator renders with.
function compileWxml(root) {
  // eslint-disable-next-line no-new-func
  return new Function(compiler.wxmlToJs(root))()
}

function compileWxss(root) {
  const files = filesUnder(root, '.wxss').map((file) => file.slice(0, -'.wxss'.length))
  return wcsc(root, files)
}

test('every WXML file compiles with wcc, and every page and component gets its render function', () => {
  const gwx = compileWxml(MINIPROGRAM)
  const wxml = filesUnder(MINIPROGRAM, '.wxml')
  assert.deepEqual(wxml.sort(), modules().map((m) => `${m}.wxml`).sort(), 'no WXML outside pages and their components')
  wxml.forEach((file) => assert.equal(typeof gwx(file), 'function', file))
})

test('every WXSS file compiles with wcsc', () => {
  const result = compileWxss(MINIPROGRAM)
  assert.ok(!(result instanceof Error), String(result && result.message))
  filesUnder(MINIPROGRAM, '.wxss').forEach((file) => assert.ok(result[file], `${file} compiled`))
})

test('the compilers do refuse broken files (so the two checks above can fail)', () => {
  const broken = fs.mkdtempSync(path.join(os.tmpdir(), 'yanxiu-wcc-'))
  try {
    fs.writeFileSync(path.join(broken, 'a.wxml'), '<view wx:if="{{a}}">\n  <text>{{b</text>\n</view>\n')
    assert.throws(() => compileWxml(broken), /编译 .wxml 文件错误/)
    fs.writeFileSync(path.join(broken, 'a.wxss'), '.a { color: red;\n')
    assert.ok(compileWxss(broken) instanceof Error)
  } finally {
    fs.rmSync(broken, { recursive: true, force: true })
  }
})

// miniprogram-ci's schema for a file: errors, and unknown fields (its "warning") as errors too.
function assertSchema(kind, file) {
  const json = JSON.parse(fs.readFileSync(file, 'utf8'))
  const { error, warning } = schemaValidate(kind, json)
  assert.deepEqual(error, [], `${path.relative(ROOT, file)}: ${JSON.stringify(error)}`)
  assert.equal(warning, '', `${path.relative(ROOT, file)}: unknown fields ${warning}`)
}

test('project.config.json, app.json, sitemap.json and every page and component json pass the official schemas', () => {
  assertSchema('projectconfig', path.join(ROOT, 'project.config.json'))
  assertSchema('app', path.join(MINIPROGRAM, 'app.json'))
  assertSchema('sitemap', path.join(MINIPROGRAM, app.sitemapLocation))
  modules().forEach((module) => assertSchema('page', path.join(MINIPROGRAM, `${module}.json`)))
  assert.throws(() => assertSchema('app', path.join(ROOT, 'package.json')), /unknown fields|pages/, 'the schema check can fail')
})

test('miniprogram-ci: code quality check passes every item; the analysis sees only the mini-program', () => {
  const run = spawnSync(process.execPath, [path.join(__dirname, 'ci-analyse.js')], { cwd: ROOT, encoding: 'utf8' })
  assert.equal(run.status, 0, run.stderr)
  const { quality, files } = JSON.parse(run.stdout.trim().split('\n').pop())
  const failed = quality.filter((item) => !item.success).map((item) => `${item.name}: ${item.text}`)
  assert.deepEqual(failed, [])
  assert.ok(quality.some((item) => item.name === 'LAZYCODE_LOADING_OPEN'))
  assert.ok(files.includes('app.json') && files.includes('pages/checkin/checkin.js'), 'the analysis found app.json at miniprogramRoot')
  assert.ok(!files.some((file) => /^(test|node_modules)\//.test(file)), 'tests and tools stay out of the package')
})

test('the JavaScript type-checks against miniprogram-api-typings (tsc --allowJs --checkJs)', () => {
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc')
  const run = spawnSync(process.execPath, [tsc, '-p', path.join(ROOT, 'tsconfig.json')], { cwd: ROOT, encoding: 'utf8' })
  assert.equal(run.stdout + run.stderr, '')
  assert.equal(run.status, 0)
})
