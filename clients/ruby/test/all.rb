# frozen_string_literal: true

# Every test: ruby -Ilib -Itest test/all.rb   (from clients/ruby)
Dir[File.join(__dir__, "*_test.rb")].sort.each { |file| require file }
