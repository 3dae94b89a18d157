#!/usr/bin/env node
'use strict';
require('@virt/launch').launch(require('node:path').join(__dirname, '..', 'dist', 'virt-img.cjs'), 'virt-img');
