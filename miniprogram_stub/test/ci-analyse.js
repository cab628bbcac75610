// miniprogram-ci's code quality check and code analysis of this project, offline (nothing is
// uploaded, so the private key is a placeholder the analysis never reads). Prints one line of
// JSON and exits: the analysis leaves file watchers running.
const path = require('node:path')
const ci = require('miniprogram-ci')

async function main() {
  const project = new ci.Project({
    appid: 'touristappid',
    type: 'miniProgram',
    projectPath: path.resolve(__dirname, '..'),
    privateKey: 'offline-analysis-never-uploads'
  })
  const quality = await ci.checkCodeQuality(project)
  const analysis = await ci.analyseCode(project, { silent: true })
  process.stdout.write(`${JSON.stringify({ quality, files: analysis.files.map((f) => f.path) })}\n`)
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`${error && error.stack ? error.stack : error}\n`)
    process.exit(1)
  }
)
